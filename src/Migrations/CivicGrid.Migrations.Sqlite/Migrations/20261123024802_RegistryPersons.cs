using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RegistryPersons : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "registry_persons",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    NameInitials = table.Column<string>(type: "TEXT", unicode: false, maxLength: 50, nullable: false),
                    DocumentType = table.Column<int>(type: "INTEGER", nullable: false),
                    DocumentCipher = table.Column<byte[]>(type: "BLOB", nullable: true),
                    DocumentIndex = table.Column<byte[]>(type: "BLOB", nullable: true),
                    DocumentTailIndex = table.Column<byte[]>(type: "BLOB", nullable: true),
                    PhoneCipher = table.Column<byte[]>(type: "BLOB", nullable: true),
                    PhoneIndex = table.Column<byte[]>(type: "BLOB", nullable: true),
                    PhoneTailIndex = table.Column<byte[]>(type: "BLOB", nullable: true),
                    Sex = table.Column<int>(type: "INTEGER", nullable: false),
                    BirthDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    EthnicityCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 2, nullable: true),
                    HouseholdType = table.Column<int>(type: "INTEGER", nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    GridCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 18, nullable: false),
                    Tags = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_persons", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_registry_persons_DocumentIndex",
                table: "registry_persons",
                column: "DocumentIndex",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_registry_persons_DocumentTailIndex",
                table: "registry_persons",
                column: "DocumentTailIndex");

            migrationBuilder.CreateIndex(
                name: "IX_registry_persons_GridCode",
                table: "registry_persons",
                column: "GridCode");

            migrationBuilder.CreateIndex(
                name: "IX_registry_persons_GridCode_NameInitials",
                table: "registry_persons",
                columns: new[] { "GridCode", "NameInitials" });

            migrationBuilder.CreateIndex(
                name: "IX_registry_persons_PhoneIndex",
                table: "registry_persons",
                column: "PhoneIndex");

            migrationBuilder.CreateIndex(
                name: "IX_registry_persons_PhoneTailIndex",
                table: "registry_persons",
                column: "PhoneTailIndex");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "registry_persons");
        }
    }
}
