"""Request and response bodies. They are not tables: routes convert between the two."""
