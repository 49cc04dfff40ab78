export { ClusterLoading as default } from "@/components/cluster/cluster-loading";
