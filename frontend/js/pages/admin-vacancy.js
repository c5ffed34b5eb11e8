// admin-vacancy: the page script (to be written).
