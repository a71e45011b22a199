"""The automated editor: checks -> findings -> verdict, for every translation before it is published."""
