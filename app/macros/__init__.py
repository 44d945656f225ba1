"""Macros (issue 14): approved reply snippets, owned by policy writers and versioned like KB articles — every
version is kept, the newest is the one specialists insert."""
