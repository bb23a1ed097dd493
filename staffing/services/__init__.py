"""Every write of the staffing app, one function per use case (see each module)."""
