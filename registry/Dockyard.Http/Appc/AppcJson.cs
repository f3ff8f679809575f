using System.Text.Json.Serialization;

namespace Dockyard.Http.Appc;

/// <summary>Source-generated JSON for the appc answers.</summary>
[JsonSerializable(typeof(Dictionary<string, object>))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class AppcJson : JsonSerializerContext;
