using System.Text;
using System.Text.Json;
using Dockyard.Core.Bodies;

namespace Dockyard.Core.Tests.Bodies;

/// <summary>JSON whose strings are not text is malformed JSON (a client fault), not a reader's InvalidOperationException later.</summary>
public sealed class StrictJsonTests
{
    public static TheoryData<byte[]> NotText => new()
    {
        { [.. "{\"a\":\""u8, 0xff, .. "\"}"u8] },
        { [.. "{\"a\":\""u8, 0xc0, 0xaf, .. "\"}"u8] },
        { "{\"a\":\"\\ud800\"}"u8.ToArray() },
        { "{\"a\":\"\\udc00x\"}"u8.ToArray() },
        { [.. "{\""u8, 0xc3, .. "\":1}"u8] },
        { [.. "[\"ok\",{\"b\":[\"\\u00e9"u8, 0xed, 0xa0, 0x80, .. "\"]}]"u8] },
    };

    [Theory]
    [MemberData(nameof(NotText))]
    public void Strings_that_are_not_text_are_a_JsonException(byte[] json) =>
        Assert.ThrowsAny<JsonException>(() => StrictJson.Parse(json));

    [Fact]
    public void Text_and_escapes_of_whole_surrogate_pairs_parse()
    {
        using var document = StrictJson.Parse(Encoding.UTF8.GetBytes("{\"é\":\"x\\ud83d\\ude00 ü\",\"n\":[1,true,null]}"));
        Assert.Equal("x\U0001F600 ü", document.RootElement.GetProperty("é").GetString());
    }

    [Fact]
    public void Malformed_json_is_still_a_JsonException() =>
        Assert.ThrowsAny<JsonException>(() => StrictJson.Parse("{\"a\":"u8.ToArray()));
}
