"""Suggest the data element (or identity/filler role) each template field means."""
