using System.Text.Json.Serialization;

namespace Dockyard.MySql.Appc;

/// <summary>Source-generated JSON for the small columns of <see cref="MySqlAciStore"/>.</summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class MySqlAciJson : JsonSerializerContext;
