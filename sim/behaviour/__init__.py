"""One module per subscriber mechanism; each works on whole columns at once."""
