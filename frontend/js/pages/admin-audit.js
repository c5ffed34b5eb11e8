// admin-audit: the page script (to be written).
