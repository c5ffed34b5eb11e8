// admin-import: the page script (to be written).
