"""Proofing: transcribed text to likely slips (OCR confusions, typing errors, unknown words),
reported as file:line:col lines or JSON records.
"""
