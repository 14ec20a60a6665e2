"""Trygg: an HMS system (helse, miljø og sikkerhet) for Norwegian organisations."""
