variable "trusted_principal_arn" {
  description = "The IAM principal CacheDeck itself runs as (its instance, task or IRSA role in the CacheDeck account), e.g. arn:aws:iam::111122223333:role/cachedeck-app. Only it may assume these roles."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(root|role/.+|user/.+)$", var.trusted_principal_arn))
    error_message = "trusted_principal_arn must be an IAM role, user or account-root ARN."
  }
}

variable "external_id" {
  description = "The ExternalId CacheDeck sends with AssumeRole (the externalId of this account in CacheDeck's accounts file). Every trust policy requires it."
  type        = string

  validation {
    condition     = can(regex("^[\\w+=,.@:/-]{2,1224}$", var.external_id))
    error_message = "external_id must be 2 to 1224 characters of letters, digits and +=,.@:/-."
  }
}

variable "highest_role" {
  description = "The most powerful role to create: ReadOnly (read-only role only), Operator (adds the operator role and the FIS experiment role) or Admin (adds the admin role)."
  type        = string
  default     = "Admin"

  validation {
    condition     = contains(["ReadOnly", "Operator", "Admin"], var.highest_role)
    error_message = "highest_role must be ReadOnly, Operator or Admin."
  }
}

variable "role_name_prefix" {
  description = "Optional prefix of every role and policy name, e.g. \"platform-\" gives platform-CacheDeckReadOnly."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^[\\w+=,.@-]{0,32}$", var.role_name_prefix))
    error_message = "role_name_prefix must be up to 32 characters of letters, digits and +=,.@_-."
  }
}

variable "permissions_boundary_arn" {
  description = "Optional ARN of a managed policy to set as the permissions boundary of every role (empty for none)."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^(arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+)?$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be empty or a managed policy ARN."
  }
}

variable "tags" {
  description = "Tags for every role and policy."
  type        = map(string)
  default     = {}
}
