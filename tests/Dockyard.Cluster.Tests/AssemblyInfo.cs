// Each test class runs a cluster of three registry processes and nginx (and one kills a node): one class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
