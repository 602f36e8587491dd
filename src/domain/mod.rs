//! The vocabulary of bearing: the three PostHog events, tolerant parsing of the
//! values real tracking produces, periods, and sanitising of untrusted text.
//! Nothing here does IO.

pub mod dataset;
pub mod event;
pub mod intern;
pub mod period;
pub mod range;
pub mod sanitize;
pub mod values;
pub mod zone;

pub use dataset::{BrokenLine, CustomEvent, Dataset, IngestStats, Origin, Subscription};
pub use event::{CostDetails, DecisionDetails, Details, Event, EventKind, RevenueDetails};
pub use intern::{Interner, Sym};
pub use period::{Period, PeriodSpec};
pub use range::{Range, RangeParse, Unit};
pub use values::{Priority, ReviewTimeframe};
pub use zone::Zone;
