"""The front desk's rules in plain Python: no SQL, no Textual."""
