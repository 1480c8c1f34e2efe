// Site-wide behaviour without inline scripts (the CSP forbids them).
