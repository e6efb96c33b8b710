"""Request rate limits: the product's table of rates and a limiter that counts hits per
(scope, identity) in process memory or, for several nodes, in Redis."""

from rapat.ratelimit.limiter import RateLimiter, RateLimitStatus, tightest
from rapat.ratelimit.rates import parse_rates

__all__ = ["RateLimitStatus", "RateLimiter", "parse_rates", "tightest"]
