"""Cooperation workspace: councils propose corrections, monitors leave feedback,
coordinators review; kept in a transactional store apart from the analytic file."""
