"""OpenNRM: an information system for National Referral Mechanisms against human trafficking."""

__version__ = "0.1.0"
