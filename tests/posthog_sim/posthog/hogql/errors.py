"""The error classes hogql_parser expects to find in PostHog (posthog/hogql/errors.py).

parse_select_json() returns errors as JSON instead of raising them, but the module
imports these names when it loads.
"""


class BaseHogQLError(Exception):
    def __init__(self, message="", *, start=None, end=None, node=None, **kwargs):
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = end
        self.node = node


class ExposedHogQLError(BaseHogQLError):
    pass


class InternalHogQLError(BaseHogQLError):
    pass


class SyntaxError(ExposedHogQLError):  # noqa: A001 - PostHog's name
    pass


class QueryError(ExposedHogQLError):
    pass


class NotImplementedError(InternalHogQLError):  # noqa: A001 - PostHog's name
    pass


class ParsingError(InternalHogQLError):
    pass


class ResolutionError(InternalHogQLError):
    pass
