namespace Dockyard.Core.Errors;

/// <summary>The error codes of the OCI distribution-spec and Docker Registry V2 error envelope.</summary>
public enum RegistryErrorCode
{
    BlobUnknown,
    BlobUploadInvalid,
    BlobUploadUnknown,
    DigestInvalid,
    ManifestBlobUnknown,
    ManifestInvalid,
    ManifestUnknown,
    NameInvalid,
    NameUnknown,
    SizeInvalid,
    Unauthorized,
    Denied,
    Unsupported,
    TooManyRequests,
    /// <summary>A Content-Range that does not continue the upload; answered with 416.</summary>
    RangeInvalid,
    /// <summary>A manifest over the size the registry accepts; answered with 413.</summary>
    ManifestTooLarge,
    /// <summary>An <c>n</c> that is not a non-negative integer (distribution's PAGINATION_NUMBER_INVALID).</summary>
    PaginationNumberInvalid,
    /// <summary>A UAM request body field that is missing or wrong; the detail names the field (400).</summary>
    InvalidField,
    /// <summary>A UAM entity (user, organization, team, repository) that does not exist (404).</summary>
    NotFound,
    /// <summary>A UAM entity that already exists, or a change that conflicts with existing state (409).</summary>
    Conflict,
    /// <summary>A write that would take a namespace over its storage quota; answered with 413 DENIED.</summary>
    QuotaExceeded,
    /// <summary>A body the registry reads into memory (JSON of UAM, V1 and appc, a signature, a key) over its limit, declared or
    /// chunked; answered with 413 and the spec's SIZE_INVALID, like <see cref="ManifestTooLarge"/>.</summary>
    BodyTooLarge,
    /// <summary>A feature the configured backends do not provide (V1 or appc metadata on Azure Tables); 501 UNSUPPORTED.</summary>
    NotImplemented,
}
