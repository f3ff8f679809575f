using Dockyard.Core.Errors;
using Dockyard.Core.Paging;

namespace Dockyard.Core.Tests.Paging;

public sealed class PageRequestTests
{
    [Fact]
    public void No_parameters_ask_for_everything_up_to_the_cap()
    {
        var request = PageRequest.Parse(null, null);

        Assert.Null(request.Limit);
        Assert.Null(request.After);
        Assert.Equal(PageRequest.MaxLimit, request.EffectiveLimit);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("1", 1)]
    [InlineData("100", 100)]
    [InlineData("10000", 10000)]
    [InlineData("10001", 10000)]
    [InlineData("2147483647", 10000)]
    public void N_is_the_limit_capped_at_MaxLimit(string n, int effective)
    {
        var request = PageRequest.Parse(n, null);

        Assert.Equal(int.Parse(n, System.Globalization.CultureInfo.InvariantCulture), request.Limit);
        Assert.Equal(effective, request.EffectiveLimit);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData("v1.0", "v1.0")]
    [InlineData("library/alpine", "library/alpine")]
    public void Last_is_the_exclusive_start(string? last, string? after) => Assert.Equal(after, PageRequest.Parse("5", last).After);

    [Fact]
    public void An_empty_n_means_no_limit() => Assert.Null(PageRequest.Parse("", "x").Limit);

    [Theory]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("0x10")]
    [InlineData("2147483648")]
    [InlineData("99999999999999999999")]
    public void Malformed_n_is_PaginationNumberInvalid(string n) =>
        Assert.Equal(RegistryErrorCode.PaginationNumberInvalid, Assert.Throws<RegistryException>(() => PageRequest.Parse(n, null)).Code);
}
