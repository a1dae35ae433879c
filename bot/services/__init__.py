"""Use-cases over the database. No Discord imports: ids in, plain results out."""
