// admin-accounts: the page script (to be written).
