# CacheDeck member-account roles: the IAM roles the CacheDeck dashboard assumes in this account (read-only, operator,
# admin) and the experiment role AWS FIS uses for AZ power drills. The same roles and policies as
# infra/cloudformation/cachedeck-member-roles.yaml; tests/unit/iam-roles.test.ts compares both with the AWS operations
# CacheDeck calls (docs/iam-policy.md). Apply once per account: IAM is global.

terraform {
  required_version = ">= 1.3"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

data "aws_partition" "current" {}

data "aws_caller_identity" "current" {}

locals {
  partition            = data.aws_partition.current.partition
  account_id           = data.aws_caller_identity.current.account_id
  create_operator      = var.highest_role != "ReadOnly"
  create_admin         = var.highest_role == "Admin"
  permissions_boundary = var.permissions_boundary_arn == "" ? null : var.permissions_boundary_arn
}

# What every CacheDeck page reads. Describe*, GetResources and GetMetricData list a whole region or take no resource
# ARN, so they are granted on "*"; a role in this account only ever reaches this account's resources.
data "aws_iam_policy_document" "read" {
  statement {
    sid    = "ReadCaches"
    effect = "Allow"
    actions = [
      "elasticache:DescribeReplicationGroups",
      "elasticache:DescribeCacheClusters",
      "elasticache:DescribeServerlessCaches",
      "elasticache:DescribeEvents",
      "elasticache:ListTagsForResource",
      "elasticache:DescribeReservedCacheNodes",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "ReadTagsOfRegion"
    effect    = "Allow"
    actions   = ["tag:GetResources"]
    resources = ["*"]
  }

  statement {
    sid       = "ReadPrices"
    effect    = "Allow"
    actions   = ["pricing:GetProducts"]
    resources = ["*"]
  }

  statement {
    sid       = "ReadMetrics"
    effect    = "Allow"
    actions   = ["cloudwatch:GetMetricData"]
    resources = ["*"]
  }

  statement {
    sid       = "ReadAlarms"
    effect    = "Allow"
    actions   = ["cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmHistory"]
    resources = ["*"]
  }
}

# Test failovers and drills. Changes to caches are limited to this account's replication groups; FIS templates only
# with CacheDeck's one action, experiments only with this module's experiment role, tags only cachedeck:drill.
data "aws_iam_policy_document" "operate" {
  count = local.create_operator ? 1 : 0

  statement {
    sid       = "TestFailover"
    effect    = "Allow"
    actions   = ["elasticache:TestFailover"]
    resources = ["arn:${local.partition}:elasticache:*:${local.account_id}:replicationgroup:*"]
  }

  # Recommended alarms carry CacheDeck's name prefix: people's own alarms stay out of reach.
  statement {
    sid       = "CreateRecommendedAlarms"
    effect    = "Allow"
    actions   = ["cloudwatch:PutMetricAlarm"]
    resources = ["arn:${local.partition}:cloudwatch:*:${local.account_id}:alarm:cachedeck-*"]
  }

  statement {
    sid     = "CreateAzPowerTemplates"
    effect  = "Allow"
    actions = ["fis:CreateExperimentTemplate"]
    resources = [
      "arn:${local.partition}:fis:*:${local.account_id}:experiment-template/*",
      "arn:${local.partition}:fis:*:*:action/aws:elasticache:replicationgroup-interrupt-az-power",
    ]
  }

  statement {
    sid     = "StartExperiments"
    effect  = "Allow"
    actions = ["fis:StartExperiment"]
    resources = [
      "arn:${local.partition}:fis:*:${local.account_id}:experiment-template/*",
      "arn:${local.partition}:fis:*:${local.account_id}:experiment/*",
    ]
  }

  statement {
    sid       = "FollowExperiments"
    effect    = "Allow"
    actions   = ["fis:GetExperiment", "fis:StopExperiment"]
    resources = ["arn:${local.partition}:fis:*:${local.account_id}:experiment/*"]
  }

  statement {
    sid       = "DeleteTemplates"
    effect    = "Allow"
    actions   = ["fis:DeleteExperimentTemplate"]
    resources = ["arn:${local.partition}:fis:*:${local.account_id}:experiment-template/*"]
  }

  # A configured template (CACHEDECK_FIS_TEMPLATE_IDS) is read by the drill's pre-flight before it is started.
  statement {
    sid       = "ReadTemplates"
    effect    = "Allow"
    actions   = ["fis:GetExperimentTemplate"]
    resources = ["arn:${local.partition}:fis:*:${local.account_id}:experiment-template/*"]
  }

  # CacheDeck tags its templates and experiments with cachedeck:drill, and nothing else.
  statement {
    sid     = "TagDrills"
    effect  = "Allow"
    actions = ["fis:TagResource"]
    resources = [
      "arn:${local.partition}:fis:*:${local.account_id}:experiment-template/*",
      "arn:${local.partition}:fis:*:${local.account_id}:experiment/*",
    ]

    condition {
      test     = "ForAllValues:StringEquals"
      variable = "aws:TagKeys"
      values   = ["cachedeck:drill"]
    }
  }

  statement {
    sid       = "PassFisExperimentRole"
    effect    = "Allow"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.fis_experiment[0].arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["fis.amazonaws.com"]
    }
  }
}

# Scaling: node type (and the types AWS offers for it), replicas per shard, number of shards; engine upgrades.
data "aws_iam_policy_document" "scale" {
  count = local.create_admin ? 1 : 0

  statement {
    sid    = "ScaleReplicationGroups"
    effect = "Allow"
    actions = [
      "elasticache:ListAllowedNodeTypeModifications",
      "elasticache:ModifyReplicationGroup",
      "elasticache:IncreaseReplicaCount",
      "elasticache:DecreaseReplicaCount",
      "elasticache:ModifyReplicationGroupShardConfiguration",
    ]
    resources = ["arn:${local.partition}:elasticache:*:${local.account_id}:replicationgroup:*"]
  }

  statement {
    sid    = "ReadEngineVersionsAndParameters"
    effect = "Allow"
    actions = [
      "elasticache:DescribeCacheEngineVersions",
      "elasticache:DescribeCacheParameterGroups",
      "elasticache:DescribeCacheParameters",
    ]
    resources = ["*"]
  }

  # An engine upgrade names a parameter group of the new family, which CacheDeck may first make from the current one.
  statement {
    sid    = "ParameterGroupsForEngineUpgrades"
    effect = "Allow"
    actions = [
      "elasticache:CreateCacheParameterGroup",
      "elasticache:ModifyCacheParameterGroup",
      "elasticache:ModifyReplicationGroup",
    ]
    resources = ["arn:${local.partition}:elasticache:*:${local.account_id}:parametergroup:*"]
  }
}

# Only CacheDeck's own principal, and only with the ExternalId, may assume the three CacheDeck roles.
data "aws_iam_policy_document" "trust_cachedeck" {
  statement {
    sid     = "CacheDeckWithExternalId"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = [var.trusted_principal_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [var.external_id]
    }
  }
}

# Only FIS, for experiments of this account, may assume the experiment role.
data "aws_iam_policy_document" "trust_fis" {
  statement {
    sid     = "FisOfThisAccount"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["fis.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:fis:*:${local.account_id}:experiment/*"]
    }
  }
}

# What the aws:elasticache:replicationgroup-interrupt-az-power action needs to find its targets and cut their power.
data "aws_iam_policy_document" "interrupt_az_power" {
  statement {
    sid       = "FindTargets"
    effect    = "Allow"
    actions   = ["elasticache:DescribeReplicationGroups", "tag:GetResources"]
    resources = ["*"]
  }

  statement {
    sid       = "InterruptAzPower"
    effect    = "Allow"
    actions   = ["elasticache:InterruptClusterAzPower"]
    resources = ["arn:${local.partition}:elasticache:*:${local.account_id}:replicationgroup:*"]
  }
}

resource "aws_iam_policy" "read" {
  name        = "${var.role_name_prefix}CacheDeckRead"
  description = "CacheDeck's fleet, cluster, metrics, events and drill-report views"
  policy      = data.aws_iam_policy_document.read.json
  tags        = var.tags
}

resource "aws_iam_policy" "operate" {
  count       = local.create_operator ? 1 : 0
  name        = "${var.role_name_prefix}CacheDeckOperate"
  description = "CacheDeck's test failovers and drills (AZ power interruption through AWS FIS)"
  policy      = data.aws_iam_policy_document.operate[0].json
  tags        = var.tags
}

resource "aws_iam_policy" "scale" {
  count       = local.create_admin ? 1 : 0
  name        = "${var.role_name_prefix}CacheDeckScale"
  description = "CacheDeck's scaling of replication groups"
  policy      = data.aws_iam_policy_document.scale[0].json
  tags        = var.tags
}

resource "aws_iam_role" "read_only" {
  name                 = "${var.role_name_prefix}CacheDeckReadOnly"
  description          = "CacheDeck reads the fleet, metrics and events of this account"
  assume_role_policy   = data.aws_iam_policy_document.trust_cachedeck.json
  permissions_boundary = local.permissions_boundary
  tags                 = var.tags
}

resource "aws_iam_role" "operator" {
  count                = local.create_operator ? 1 : 0
  name                 = "${var.role_name_prefix}CacheDeckOperator"
  description          = "CacheDeck reads this account and runs test failovers and drills"
  assume_role_policy   = data.aws_iam_policy_document.trust_cachedeck.json
  permissions_boundary = local.permissions_boundary
  tags                 = var.tags
}

resource "aws_iam_role" "admin" {
  count                = local.create_admin ? 1 : 0
  name                 = "${var.role_name_prefix}CacheDeckAdmin"
  description          = "CacheDeck reads this account, runs test failovers and drills, and scales replication groups"
  assume_role_policy   = data.aws_iam_policy_document.trust_cachedeck.json
  permissions_boundary = local.permissions_boundary
  tags                 = var.tags
}

resource "aws_iam_role" "fis_experiment" {
  count                = local.create_operator ? 1 : 0
  name                 = "${var.role_name_prefix}CacheDeckFisExperiment"
  description          = "AWS FIS interrupts the AZ power of a replication group for a CacheDeck drill"
  assume_role_policy   = data.aws_iam_policy_document.trust_fis.json
  permissions_boundary = local.permissions_boundary
  tags                 = var.tags
}

resource "aws_iam_role_policy" "interrupt_az_power" {
  count  = local.create_operator ? 1 : 0
  name   = "InterruptAzPower"
  role   = aws_iam_role.fis_experiment[0].id
  policy = data.aws_iam_policy_document.interrupt_az_power.json
}

resource "aws_iam_role_policy_attachment" "read_only_read" {
  role       = aws_iam_role.read_only.name
  policy_arn = aws_iam_policy.read.arn
}

resource "aws_iam_role_policy_attachment" "operator_read" {
  count      = local.create_operator ? 1 : 0
  role       = aws_iam_role.operator[0].name
  policy_arn = aws_iam_policy.read.arn
}

resource "aws_iam_role_policy_attachment" "operator_operate" {
  count      = local.create_operator ? 1 : 0
  role       = aws_iam_role.operator[0].name
  policy_arn = aws_iam_policy.operate[0].arn
}

resource "aws_iam_role_policy_attachment" "admin_read" {
  count      = local.create_admin ? 1 : 0
  role       = aws_iam_role.admin[0].name
  policy_arn = aws_iam_policy.read.arn
}

resource "aws_iam_role_policy_attachment" "admin_operate" {
  count      = local.create_admin ? 1 : 0
  role       = aws_iam_role.admin[0].name
  policy_arn = aws_iam_policy.operate[0].arn
}

resource "aws_iam_role_policy_attachment" "admin_scale" {
  count      = local.create_admin ? 1 : 0
  role       = aws_iam_role.admin[0].name
  policy_arn = aws_iam_policy.scale[0].arn
}
