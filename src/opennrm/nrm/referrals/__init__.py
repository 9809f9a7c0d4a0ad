"""Referral between agencies under a recorded legal basis, and the shares that grant access."""
