using System.Text.Json;
using Dockyard.Core.Manifests;
using Dockyard.Core.Names;
using Dockyard.Core.Referrers;
using Dockyard.Http.Routing;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.V2;

/// <summary><c>/v2/&lt;name&gt;/referrers/&lt;digest&gt;[?artifactType=]</c>: an OCI image index of the subject's referrers.</summary>
public sealed class ReferrersHandler(ReferrersService referrers)
{
    public async Task ListAsync(HttpContext context, RouteValues values)
    {
        var name = RepositoryName.Parse(values["name"]);
        var subject = Digest.Parse(values["digest"]);
        var artifactType = context.Request.Query["artifactType"].ToString();
        var list = await referrers.ListAsync(name, subject, artifactType, context.RequestAborted);
        var response = context.Response;
        response.ContentType = MediaTypes.OciIndex;
        if (!string.IsNullOrEmpty(artifactType))
        {
            response.Headers["OCI-Filters-Applied"] = "artifactType";
        }
        await using var writer = new Utf8JsonWriter(response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteNumber("schemaVersion", 2);
        writer.WriteString("mediaType", MediaTypes.OciIndex);
        writer.WriteStartArray("manifests");
        foreach (var referrer in list)
        {
            writer.WriteStartObject();
            writer.WriteString("mediaType", referrer.MediaType);
            writer.WriteString("digest", referrer.Digest.Value);
            writer.WriteNumber("size", referrer.Size);
            if (referrer.ArtifactType is { } type)
            {
                writer.WriteString("artifactType", type);
            }
            if (referrer.AnnotationsJson is { } annotations)
            {
                writer.WritePropertyName("annotations");
                writer.WriteRawValue(annotations);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
