using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Dockyard.Testing;
using static Dockyard.Http.Tests.V2.RegistryPush;

namespace Dockyard.Http.Tests.V2;

/// <summary>
/// Clients racing PATCH, PUT and DELETE on one upload session get the spec's answers (202/201/204, 404
/// BLOB_UPLOAD_UNKNOWN, 416 RANGE_INVALID, 400 DIGEST_INVALID for a PUT that came before the bytes), never a 500, and
/// a blob that becomes visible is exactly the uploaded bytes.
/// </summary>
public sealed class BlobUploadConcurrencyTests
{
    private const int Rounds = 40;
    private const int Chunk = 48 * 1024;

    private static readonly Dictionary<string, HashSet<string>> Allowed = new()
    {
        ["PATCH"] = ["202", "404 BLOB_UPLOAD_UNKNOWN", "416 RANGE_INVALID"],
        ["PUT"] = ["201", "400 DIGEST_INVALID", "404 BLOB_UPLOAD_UNKNOWN", "416 RANGE_INVALID"],
        ["DELETE"] = ["204", "404 BLOB_UPLOAD_UNKNOWN"],
        ["GET"] = ["204", "404 BLOB_UPLOAD_UNKNOWN"],
        ["GET blob"] = ["200", "404 BLOB_UNKNOWN"],
    };

    [Fact]
    public async Task Racing_patch_put_and_delete_on_one_session_answer_only_spec_statuses_and_never_publish_wrong_bytes()
    {
        await using var server = await RegistryServer.StartAsync();
        var seen = new ConcurrentBag<string>();
        for (var round = 0; round < Rounds; round++)
        {
            var random = new Random(round);
            // Distinct content per round, so that every round publishes (or not) its own blob.
            var data = RandomBytes(3 * Chunk);
            var digest = DigestOf(data);
            var location = await StartUploadAsync(server.Client, $"race/r{round % 4}");
            var blob = $"/v2/race/r{round % 4}/blobs/{digest}";

            var patchers = Task.WhenAll(
                Task.Run(() => PatchAllAsync(server.Client, location, data, seen)),
                Task.Run(() => PatchAllAsync(server.Client, location, data, seen)));
            await Task.WhenAll(
                patchers,
                Task.Run(async () =>
                {
                    await patchers;
                    await RecordAsync(seen, "PUT", await server.Client.PutAsync(WithQuery(location, $"digest={digest}"), null));
                }),
                Task.Run(async () =>
                {
                    await Task.Delay(random.Next(0, 15));
                    using var put = new HttpRequestMessage(HttpMethod.Put, WithQuery(location, $"digest={digest}"))
                    {
                        Content = new ByteArrayContent(data[(2 * Chunk)..]),
                    };
                    put.Content.Headers.TryAddWithoutValidation("Content-Range", $"{2 * Chunk}-{(3 * Chunk) - 1}");
                    await RecordAsync(seen, "PUT", await server.Client.SendAsync(put));
                }),
                Task.Run(async () =>
                {
                    await Task.Delay(random.Next(0, 25));
                    await RecordAsync(seen, "DELETE", await server.Client.DeleteAsync(location));
                }),
                Task.Run(async () =>
                {
                    await Task.Delay(random.Next(0, 10));
                    await RecordAsync(seen, "GET", await server.Client.GetAsync(location));
                    await AssertBlobIsWholeAsync(server.Client, blob, data, seen);
                }));

            await AssertBlobIsWholeAsync(server.Client, blob, data, seen);
        }

        var unexpected = seen.Where(s => !Allowed[s[..s.IndexOf(':')]].Contains(s[(s.IndexOf(':') + 2)..])).Distinct().ToList();
        Assert.True(unexpected.Count == 0, "unexpected answers: " + string.Join(" | ", unexpected));
        // The race must really have raced: some rounds published, some were cancelled or refused.
        Assert.Contains(seen, s => s == "PUT: 201");
        Assert.Contains(seen, s => s.StartsWith("PATCH: 4", StringComparison.Ordinal) || s.StartsWith("PUT: 4", StringComparison.Ordinal));
    }

    private static async Task PatchAllAsync(HttpClient client, Uri location, byte[] data, ConcurrentBag<string> seen)
    {
        for (var start = 0; start < data.Length; start += Chunk)
        {
            using var patch = await PatchChunkAsync(client, location, data[start..(start + Chunk)], $"{start}-{start + Chunk - 1}");
            var status = await RecordAsync(seen, "PATCH", patch, dispose: false);
            if (status != HttpStatusCode.Accepted)
            {
                return;
            }
        }
    }

    /// <summary>Notes the answer as "METHOD: status [code]" and returns its status.</summary>
    private static async Task<HttpStatusCode> RecordAsync(ConcurrentBag<string> seen, string method, HttpResponseMessage response, bool dispose = true)
    {
        try
        {
            var code = "";
            if ((int)response.StatusCode >= 400)
            {
                var body = await response.Content.ReadAsStringAsync();
                try
                {
                    using var document = JsonDocument.Parse(body);
                    code = " " + document.RootElement.GetProperty("errors")[0].GetProperty("code").GetString();
                }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    code = " (no error envelope) " + body;
                }
            }
            seen.Add($"{method}: {(int)response.StatusCode}{code}");
            return response.StatusCode;
        }
        finally
        {
            if (dispose)
            {
                response.Dispose();
            }
        }
    }

    private static async Task AssertBlobIsWholeAsync(HttpClient client, string blob, byte[] data, ConcurrentBag<string> seen)
    {
        using var get = await client.GetAsync(blob);
        if (get.StatusCode == HttpStatusCode.OK)
        {
            Assert.Equal(data, await get.Content.ReadAsByteArrayAsync());
        }
        await RecordAsync(seen, "GET blob", get, dispose: false);
    }
}
