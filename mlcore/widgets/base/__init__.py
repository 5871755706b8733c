"""What every widget shares: the Explorer base (view), the toolkit of colours, formats and
artists, the network diagram and the sliding-window animator."""
