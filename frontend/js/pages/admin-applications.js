// admin-applications: the page script (to be written).
