import Foundation
import Models
import ServiceKit

/// Who gives: an enterprise, an organization or a person.
enum DonorKind: String, CaseIterable, Codable {
    case enterprise, organization, individual
}

/// A donor as submitted.
struct DonorForm: Decodable {
    var kind: String?
    var name: String?
    var contactPhone: String?
    var area: String?
}

struct NewDonor: Sendable {
    var kind: DonorKind
    var name: String
    /// A donor may leave no number (an enterprise's goods come with their driver).
    var contactPhone: MobileNumber?
    var area: AreaCode
}

extension DonorForm {
    func validated() throws(ProblemDetails) -> NewDonor {
        var validator = FieldValidator()
        let kind: DonorKind? = validator.oneOf(kind, "kind")
        let name = validator.text(name, "name", maxLength: 100)
        let phone = contactPhone == nil ? nil : validator.mobile(contactPhone, "contactPhone")
        let area = validator.area(area, "area")
        // Every check that fails records its field, so a missing value always comes with its error.
        guard let kind, let name, let area, validator.errors.isEmpty else { throw ProblemDetails.validation(validator.errors) }
        return NewDonor(kind: kind, name: name, contactPhone: phone, area: area)
    }
}

/// A public call for donations (捐赠倡议) as submitted.
struct DriveForm: Decodable {
    var title: String?
    var area: String?
    var itemId: UUID?
    var target: Int?
    var deadline: String?
}

struct NewDrive: Sendable {
    var title: String
    var area: AreaCode
    var item: UUID
    var target: Int
    var deadline: Date
}

extension DriveForm {
    func validated(now: Date = Date()) throws(ProblemDetails) -> NewDrive {
        var validator = FieldValidator()
        let title = validator.text(title, "title", maxLength: 200)
        let area = validator.area(area, "area")
        let item = validator.required(itemId, "itemId")
        let target = validator.range(target, "target", 1...10_000_000)
        let deadline = validator.required(deadline.flatMap(Timestamp.parse), "deadline")
        if let deadline, deadline <= now { validator.fail("deadline", "is past") }
        guard let title, let area, let item, let target, let deadline, validator.errors.isEmpty else {
            throw ProblemDetails.validation(validator.errors)
        }
        return NewDrive(title: title, area: area, item: item, target: target, deadline: deadline)
    }
}

/// A donor's promise of stock to a depot, perhaps answering a call for donations.
struct PledgeForm: Decodable {
    var donorId: UUID?
    var driveId: UUID?
    var depotId: UUID?
    var itemId: UUID?
    var quantity: Int?
}

struct NewPledge: Sendable {
    var donor: UUID
    var drive: UUID?
    var depot: UUID
    var item: UUID
    var quantity: Int
}

extension PledgeForm {
    func validated() throws(ProblemDetails) -> NewPledge {
        var validator = FieldValidator()
        let donor = validator.required(donorId, "donorId")
        let depot = validator.required(depotId, "depotId")
        let item = validator.required(itemId, "itemId")
        let quantity = validator.range(quantity, "quantity", 1...10_000_000)
        guard let donor, let depot, let item, let quantity, validator.errors.isEmpty else {
            throw ProblemDetails.validation(validator.errors)
        }
        return NewPledge(donor: donor, drive: driveId, depot: depot, item: item, quantity: quantity)
    }
}
