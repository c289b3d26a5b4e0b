@{
    AllNodes = @(
        @{
            NodeName                    = "localhost"
            CertificateFile             = ".\M365DSC.cer"
            PSDscAllowDomainUser        = $true
        }
    )
    NonNodeData = @(
        @{
            # Tenant's default verified domain name
            OrganizationName = "contoso.onmicrosoft.com"

            # Azure AD Application Id for Authentication
            ApplicationId = "0f9e8d7c-0000-4000-8000-0000000000aa"

            # Thumbprint of the certificate to use for authentication
            CertificateThumbprint = "0123456789ABCDEF0123456789ABCDEF01234567"
        }
    )
}
