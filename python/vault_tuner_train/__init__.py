"""Vault Tuner trainers: KTO and SFT on the datasets the daemon builds. Heavy imports happen on use."""

__version__ = "0.1.0"
