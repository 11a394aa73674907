"""One file per schema revision, oldest first; `store.schema.REVISIONS` lists them."""
