"""The console's team features (issue 14): owning any case in the queue, in bulk too."""
