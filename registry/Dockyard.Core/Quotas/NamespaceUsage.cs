namespace Dockyard.Core.Quotas;

/// <summary>What a namespace stores, as <see cref="NamespaceQuota"/> counts it, against its quota.</summary>
/// <param name="Namespace">The namespace (a repository name's first component).</param>
/// <param name="Used">Bytes of the blobs linked into the namespace's repositories (a blob linked into two counts twice) plus those of its unfinished uploads.</param>
/// <param name="Limit">The configured quota (<c>[quota] namespacesize</c>); null when there is none.</param>
public sealed record NamespaceUsage(string Namespace, long Used, long? Limit);
