"""Review of procedures: form 02/RS-KSTT, time cut, compliance cost, totals against targets."""
