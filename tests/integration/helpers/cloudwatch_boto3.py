"""Drives the emulator's CloudWatch with boto3 and prints what came back as JSON.

Usage: cloudwatch_boto3.py ENDPOINT NAMESPACE. The protocol is whatever botocore resolves from the model it loads, so
pointing AWS_DATA_PATH at a copy of the model that lists only "smithy-rpc-v2-cbor" or "query" selects that protocol.
"""
import datetime
import json
import sys

import boto3
from botocore.exceptions import ClientError

endpoint, namespace = sys.argv[1], sys.argv[2]
cw = boto3.client(
    "cloudwatch",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id="test",
    aws_secret_access_key="test",
)
now = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0)
t0 = now - datetime.timedelta(minutes=5)
dims = [{"Name": "CacheClusterId", "Value": "py-001"}]

cw.put_metric_data(
    Namespace=namespace,
    MetricData=[
        {"MetricName": "Requests", "Dimensions": dims, "Timestamp": t0 + datetime.timedelta(minutes=i), "Value": float(i + 1), "Unit": "Count"}
        for i in range(5)
    ]
    + [{"MetricName": "Latency", "Dimensions": dims, "Timestamp": t0, "Values": [1.0, 2.0, 3.0], "Counts": [1.0, 1.0, 2.0], "Unit": "Milliseconds"}],
)

data = cw.get_metric_data(
    MetricDataQueries=[
        {"Id": "r", "MetricStat": {"Metric": {"Namespace": namespace, "MetricName": "Requests", "Dimensions": dims}, "Period": 60, "Stat": "Sum"}},
        {"Id": "d", "Expression": "r * 2", "Label": "double"},
    ],
    StartTime=t0,
    EndTime=now,
    ScanBy="TimestampAscending",
)
stats = cw.get_metric_statistics(
    Namespace=namespace, MetricName="Latency", Dimensions=dims, StartTime=t0, EndTime=now, Period=60,
    Statistics=["Sum", "SampleCount"], ExtendedStatistics=["p50"],
)
listed = cw.list_metrics(Namespace=namespace)


def error_of(call):
    try:
        call()
    except cw.exceptions.InvalidParameterValueException as e:
        return {"modelled": "InvalidParameterValueException", "code": e.response["Error"]["Code"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}
    except cw.exceptions.InvalidNextToken as e:
        return {"modelled": "InvalidNextToken", "code": e.response["Error"]["Code"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}
    except ClientError as e:
        return {"modelled": None, "code": e.response["Error"]["Code"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"], "message": e.response["Error"]["Message"]}
    return None


print(json.dumps({
    "data": [
        {"Id": r["Id"], "Label": r["Label"], "Values": r["Values"], "Timestamps": [int((t - t0).total_seconds()) for t in r["Timestamps"]], "StatusCode": r["StatusCode"]}
        for r in data["MetricDataResults"]
    ],
    "stats": [
        {"Sum": p["Sum"], "SampleCount": p["SampleCount"], "p50": p["ExtendedStatistics"]["p50"], "Unit": p["Unit"], "offset": int((p["Timestamp"] - t0).total_seconds())}
        for p in stats["Datapoints"]
    ],
    "metrics": sorted(m["MetricName"] for m in listed["Metrics"]),
    "errors": {
        "reservedNamespace": error_of(lambda: cw.put_metric_data(Namespace="AWS/ElastiCache", MetricData=[{"MetricName": "x", "Value": 1.0}])),
        "badId": error_of(lambda: cw.get_metric_data(MetricDataQueries=[{"Id": "Bad", "Expression": "1"}], StartTime=t0, EndTime=now)),
        "badToken": error_of(lambda: cw.get_metric_data(MetricDataQueries=[{"Id": "a", "Expression": "1"}], StartTime=t0, EndTime=now, NextToken="nope")),
    },
}))
