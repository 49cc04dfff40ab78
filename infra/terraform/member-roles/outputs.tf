output "read_only_role_arn" {
  description = "Role for an account where CacheDeck's people are at most viewers"
  value       = aws_iam_role.read_only.arn
}

output "operator_role_arn" {
  description = "Role for an account where someone is an operator (test failovers, drills); null below Operator"
  value       = one(aws_iam_role.operator[*].arn)
}

output "admin_role_arn" {
  description = "Role for an account where someone is an admin (scaling); null below Admin"
  value       = one(aws_iam_role.admin[*].arn)
}

output "fis_experiment_role_arn" {
  description = "The experiment role of this account's AZ power drills (CacheDeck's FIS role ARN for this account); null below Operator"
  value       = one(aws_iam_role.fis_experiment[*].arn)
}
