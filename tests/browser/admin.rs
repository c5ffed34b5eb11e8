//! Admins in the browser: the console, in English and French, at desktop and phone sizes.
