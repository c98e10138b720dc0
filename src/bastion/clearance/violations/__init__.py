"""The station's register of past violations: vessels, companies and persons."""
