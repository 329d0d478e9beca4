"""The incubators of the network one installation serves, and which of them a request or command works in."""
