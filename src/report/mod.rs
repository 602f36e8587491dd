//! Reports for scripts and reviews: JSON (what the panes show), and the monthly and
//! quarterly reviews (`review`) as Markdown, CSV and HTML.

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod review;
mod sections;
