"""HTTP edge: routers, dependencies, schemas and the one DomainError -> HTTP mapping."""
