"""Texts into sections, sections into prompts. Pure: no Discord, no database."""
