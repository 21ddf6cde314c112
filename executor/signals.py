"""Signals other apps listen to, so the executor need not know them."""

from django.dispatch import Signal

# Sent after the transaction that ended an execution commits; `execution` is the Execution row.
execution_finished = Signal()
