"""A case's pages: what each viewer sees of a case, the steps they may take, its papers."""
