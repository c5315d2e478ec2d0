"""Writes for schools, one module per sub-domain (keyword-only arguments; each write in one
transaction):

- `classrooms`: classes, join codes, a student joining a class
- `rosters`: creating and enrolling a class's accounts from a roster file (parsed by schools/roster.py)
- `guardians`: link codes, guardian links, consent, guardian sign-up
- `staff`: inviting and deactivating teachers
- `passwords`: a staff member resetting a student's password
- `student_data`: a student's privacy export and the deletion of their account
- `deletion_requests`: a guardian's request to delete a child's account, objections, carrying it out
- `common`: the error type, code generation and the wrong-code guess limit they share
"""
