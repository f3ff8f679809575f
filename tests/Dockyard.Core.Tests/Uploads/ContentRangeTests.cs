using Dockyard.Core.Errors;
using Dockyard.Core.Uploads;

namespace Dockyard.Core.Tests.Uploads;

public sealed class ContentRangeTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void No_header_is_no_range(string? text) => Assert.Null(ContentRange.Parse(text));

    [Theory]
    [InlineData("0-99", 0, 99)]
    [InlineData("0-0", 0, 0)]
    [InlineData("100-199", 100, 199)]
    [InlineData(" 5-9 ", 5, 9)]
    [InlineData("bytes 0-99/100", 0, 99)]
    [InlineData("bytes 100-199/*", 100, 199)]
    [InlineData("BYTES 1-2/3", 1, 2)]
    [InlineData("0-99/100", 0, 99)]
    [InlineData("4294967296-8589934591", 4294967296, 8589934591)]
    public void Ranges_parse(string text, long start, long end)
    {
        var range = ContentRange.Parse(text);

        Assert.Equal(new ContentRange(start, end), range);
        Assert.Equal(end - start + 1, range!.Value.Length);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("5")]
    [InlineData("-5")]
    [InlineData("5-")]
    [InlineData("5-4")]
    [InlineData("a-b")]
    [InlineData("0--5")]
    [InlineData("bytes */100")]
    [InlineData("0-99999999999999999999")]
    [InlineData("1.5-2")]
    public void Malformed_ranges_are_RangeInvalid(string text) =>
        Assert.Equal(RegistryErrorCode.RangeInvalid, Assert.Throws<RegistryException>(() => ContentRange.Parse(text)).Code);
}
