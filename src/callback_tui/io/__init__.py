"""Files in and out: the visits / messages CSV import, list and export records."""
