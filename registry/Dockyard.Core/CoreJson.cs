using System.Text.Json.Serialization;

namespace Dockyard.Core;

/// <summary>Source-generated JSON for the few shapes Core serialises itself.</summary>
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class CoreJson : JsonSerializerContext;
