"""The page parameters every list endpoint takes, defined once. The offset is bounded so
that no client can send one the database cannot hold (2^63 and beyond failed with 500);
a billion rows is beyond any list Rapat keeps."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

MAX_PAGE = 100
MAX_OFFSET = 1_000_000_000

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
